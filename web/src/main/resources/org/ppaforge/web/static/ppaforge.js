// ppaforge's one script: follows a running build's log. The page works without it (reload to see more).
(function () {
  var log = document.getElementById('build-log');
  if (!log || log.dataset.complete === 'true') {
    return;
  }
  var status = document.getElementById('log-status');
  var next = Number(log.dataset.next || 0);
  function poll() {
    fetch(log.dataset.src + '?offset=' + next, {credentials: 'same-origin'}).then(function (r) {
      if (!r.ok) {
        throw new Error('HTTP ' + r.status);
      }
      var complete = r.headers.get('X-Log-Complete') === 'true';
      next = Number(r.headers.get('X-Log-Next') || next);
      return r.text().then(function (text) {
        if (text) {
          var atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
          log.textContent += text;
          if (atEnd) {
            log.scrollTop = log.scrollHeight;
          }
        }
        if (complete) {
          log.dataset.complete = 'true';
          if (status) {
            status.textContent = 'The build has ended; reload for its result.';
          }
        } else {
          setTimeout(poll, 2000);
        }
      });
    }).catch(function () {
      setTimeout(poll, 5000);
    });
  }
  if (status) {
    status.textContent = 'Following the log as it grows.';
  }
  setTimeout(poll, 1000);
})();
