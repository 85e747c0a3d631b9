package org.ppaforge.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.qa.verdict.BuildinfoDiff;
import org.ppaforge.qa.verdict.Judgement;
import org.ppaforge.qa.verdict.Outcome;
import org.ppaforge.qa.verdict.TestStatus;
import org.ppaforge.qa.verdict.Verdicts;

/**
 * The verdicts of a rebuild run (issue 14): PACKAGES packages, each with DAYS earlier runs of history, judged against it and
 * compared with the previous run, and each package's .buildinfo diffed against the previous one (250 build dependencies
 * each). The median of 20 rounds. Goal: under 1 s.
 *
 * <p>usage: VerdictBench [PACKAGES] [DAYS]
 */
public final class VerdictBench {
    private VerdictBench() {}

    public static void main(String[] args) {
        int packages = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 365;
        Instant t0 = Instant.parse("2026-01-01T03:00:00Z");
        Map<String, List<Outcome>> history = new HashMap<>();
        List<Outcome> previous = new ArrayList<>();
        List<Outcome> run = new ArrayList<>();
        List<String[]> buildinfos = new ArrayList<>();
        for (int p = 0; p < packages; p++) {
            List<Outcome> h = new ArrayList<>();
            for (int d = 0; d < days; d++) {
                h.add(new Outcome(
                        "p" + p,
                        "1." + d,
                        t0.plusSeconds(86400L * d),
                        d % 50 != 49,
                        d % 7 == 0 ? TestStatus.FAIL : TestStatus.PASS,
                        null));
            }
            history.put("p" + p, h);
            previous.add(h.get(h.size() - 1));
            run.add(new Outcome(
                    "p" + p,
                    "1." + days,
                    t0.plusSeconds(86400L * days),
                    true,
                    p % 3 == 0 ? TestStatus.FAIL : TestStatus.PASS,
                    null));
            buildinfos.add(new String[] {buildinfo(p, 0), buildinfo(p, p % 5)});
        }
        long[] rounds = new long[20];
        int regressions = 0;
        int moved = 0;
        for (int i = 0; i < rounds.length; i++) {
            long t = System.nanoTime();
            List<Judgement> before = Verdicts.judge(previous, Map.of());
            List<Judgement> now = Verdicts.judge(run, history);
            Verdicts.compare(
                    before.stream().map(Judgement::outcome).toList(),
                    now.stream().map(Judgement::outcome).toList());
            moved = 0;
            for (String[] b : buildinfos) {
                moved += BuildinfoDiff.of(b[0], b[1]).moved().size();
            }
            rounds[i] = System.nanoTime() - t;
            regressions =
                    (int) now.stream().filter(j -> j.verdict().isRegression()).count();
        }
        Arrays.sort(rounds);
        System.out.printf(
                "%d packages x %d days of history: verdicts, changes since the previous run and %d .buildinfo diffs: "
                        + "median %.1f ms (goal < 1000 ms); %d regressions, %d moved build dependencies%n",
                packages, days, packages, rounds[rounds.length / 2] / 1e6, regressions, moved);
    }

    private static String buildinfo(int p, int bump) {
        StringBuilder s =
                new StringBuilder("Format: 1.0\nSource: p" + p + "\nVersion: 1.0\nInstalled-Build-Depends:\n");
        for (int d = 0; d < 250; d++) {
            s.append(" dep")
                    .append(d)
                    .append(" (= 1.")
                    .append(d < bump ? d + 1 : d)
                    .append("),\n");
        }
        return s.append(" last (= 1)\n").toString();
    }
}
