package org.ppaforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A session ends after 12 h without a request, by the forge's clock; each request keeps it alive for 12 h more. */
class SessionsTest {
    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-04T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void twelveHoursWithoutARequestEndTheSession() {
        MovingClock clock = new MovingClock();
        Sessions sessions = new Sessions(clock);
        String id = sessions.create("secret", "root").id;
        clock.now = clock.now.plus(Duration.ofHours(11).plusMinutes(59));
        assertThat(sessions.find(id)).as("11 h 59 min idle").isNotNull();
        clock.now = clock.now.plus(Duration.ofHours(11).plusMinutes(59));
        assertThat(sessions.find(id))
                .as("a request renewed it: 11 h 59 min idle again")
                .isNotNull();
        clock.now = clock.now.plus(Duration.ofHours(12).plusSeconds(1));
        assertThat(sessions.find(id)).as("12 h 1 s idle").isNull();
        clock.now = clock.now.minus(Duration.ofHours(1));
        assertThat(sessions.find(id)).as("ended for good").isNull();
    }
}
