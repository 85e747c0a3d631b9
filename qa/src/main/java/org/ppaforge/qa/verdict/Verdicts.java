package org.ppaforge.qa.verdict;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a run's outcomes against each package's history (earlier runs' outcomes, oldest first), with debci's rules: a
 * failure is a regression when the package passed before (the last passing version and date are kept), always failed
 * when it never did; temporary results (testbed failures) and neutral ones (no tests) are not counted either way; a failure that passed on its
 * automatic retry is flaky; a pass after a failure is fixed. A build failure is judged the same way against earlier
 * builds.
 */
public final class Verdicts {
    private Verdicts() {}

    public static List<Judgement> judge(List<Outcome> run, Map<String, List<Outcome>> history) {
        List<Judgement> out = new ArrayList<>(run.size());
        for (Outcome o : run) {
            out.add(judge(o, history.getOrDefault(o.pkg(), List.of())));
        }
        return out;
    }

    public static Judgement judge(Outcome now, List<Outcome> before) {
        Outcome lastGood = null;
        Outcome lastCounted = null;
        Outcome lastBuilt = null;
        for (Outcome o : before) {
            if (o.passed()) {
                lastGood = o;
            }
            if (o.passed() || o.bad()) { // neutral and temporary results count neither way
                lastCounted = o;
            }
            if (o.built()) {
                lastBuilt = o;
            }
        }
        Verdict v;
        Outcome against = lastGood;
        if (!now.built()) {
            v = lastBuilt != null ? Verdict.BUILD_REGRESSION : Verdict.BUILD_ALWAYS_FAILED;
            against = lastBuilt;
        } else if (now.test() == null || now.test() == TestStatus.NEUTRAL) {
            v = Verdict.NEUTRAL;
        } else if (now.test() == TestStatus.TEMPORARY) {
            v = Verdict.TEMPORARY;
        } else if (now.test().passed()) {
            if (now.retriedFrom() != null && now.retriedFrom().failed()) {
                v = Verdict.FLAKY;
            } else {
                v = lastCounted != null && lastCounted.bad() ? Verdict.FIXED : Verdict.PASSED;
            }
        } else {
            v = lastGood != null ? Verdict.REGRESSION : Verdict.ALWAYS_FAILED;
        }
        return new Judgement(
                now.pkg(),
                now.version(),
                v,
                against == null ? null : against.version(),
                against == null ? null : against.at(),
                now);
    }

    /** What changed between two runs: packages newly failing and newly passing. */
    public record Changes(List<String> newlyFailing, List<String> newlyPassing) {}

    /** What changed between two runs' outcomes (of packages in both), names sorted. */
    public static Changes compare(List<Outcome> previous, List<Outcome> current) {
        Map<String, Outcome> before = new HashMap<>();
        previous.forEach(o -> before.put(o.pkg(), o));
        List<String> failing = new ArrayList<>();
        List<String> passing = new ArrayList<>();
        for (Outcome now : current) {
            Outcome then = before.get(now.pkg());
            if (then == null) {
                continue;
            }
            if (now.bad() && !then.bad()) {
                failing.add(now.pkg());
            } else if (now.passed() && then.bad()) {
                passing.add(now.pkg());
            }
        }
        failing.sort(null);
        passing.sort(null);
        return new Changes(failing, passing);
    }
}
