package org.ppaforge.pipeline;

import java.time.ZonedDateTime;
import java.util.BitSet;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week; {@code *}, lists, ranges and steps; day of
 * week 0 or 7 is Sunday), matched in UTC. As in cron, when both day fields are restricted either may match.
 */
final class Cron {
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean anyDay;
    private final boolean anyWeekday;

    private Cron(String expression) {
        String[] f = expression.trim().split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException(
                    "a cron expression has five fields (minute hour day month weekday), not '" + expression + "'");
        }
        minutes = field(f[0], 0, 59, expression);
        hours = field(f[1], 0, 23, expression);
        days = field(f[2], 1, 31, expression);
        months = field(f[3], 1, 12, expression);
        weekdays = field(f[4], 0, 7, expression);
        if (weekdays.get(7)) {
            weekdays.set(0);
        }
        anyDay = f[2].equals("*");
        anyWeekday = f[4].equals("*");
    }

    static Cron parse(String expression) {
        return new Cron(expression);
    }

    private static BitSet field(String text, int min, int max, String expression) {
        BitSet out = new BitSet();
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, expression);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                from = number(range.substring(0, range.indexOf('-')), min, max, expression);
                to = number(range.substring(range.indexOf('-') + 1), min, max, expression);
            } else {
                from = number(range, min, max, expression);
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw new IllegalArgumentException("the range " + range + " in '" + expression + "' runs backwards");
            }
            for (int i = from; i <= to; i += step) {
                out.set(i);
            }
        }
        return out;
    }

    private static int number(String s, int min, int max, String expression) {
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(
                "'" + s + "' in '" + expression + "' is not a number from " + min + " to " + max);
    }

    boolean matches(ZonedDateTime t) {
        boolean day = days.get(t.getDayOfMonth());
        boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
        boolean dayMatches = anyDay && anyWeekday ? true : anyDay ? weekday : anyWeekday ? day : day || weekday;
        return minutes.get(t.getMinute()) && hours.get(t.getHour()) && months.get(t.getMonthValue()) && dayMatches;
    }
}
