package org.ppaforge.web.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.verb.ListPackages;

/**
 * An archive's page: how to use it (apt sources, keys, dput.cf) and one page of its packages.
 *
 * @param q the search (source or binary name contains it), or null
 * @param number this page's number, from 1
 */
public record ArchiveView(
        Page page,
        Archive archive,
        boolean isPrivate,
        String series,
        String q,
        int number,
        int pages,
        int total,
        List<ListPackages.Entry> rows,
        String sources,
        List<ArchiveKey> keys,
        String dputCf,
        String keyUrl) {
    public String pageLink(int n) {
        StringBuilder s = new StringBuilder("?page=").append(n);
        if (series != null) {
            s.append("&series=").append(URLEncoder.encode(series, StandardCharsets.UTF_8));
        }
        if (q != null) {
            s.append("&q=").append(URLEncoder.encode(q, StandardCharsets.UTF_8));
        }
        return s.toString();
    }
}
