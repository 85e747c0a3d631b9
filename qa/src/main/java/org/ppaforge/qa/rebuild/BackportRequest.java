package org.ppaforge.qa.rebuild;

/**
 * What {@code ppa backport} asks: a source from {@code from} ({@code deb-src URL SUITE COMPONENT}, signed with
 * {@code fromKey}, armoured) into {@code to}/{@code series}; {@code versionSuffix} null for the target's convention;
 * {@code signKey} (an armoured secret key, local only) null to sign with the target archive's key.
 */
public record BackportRequest(
        String source,
        String from,
        String fromKey,
        String to,
        String series,
        String versionSuffix,
        boolean dryRun,
        boolean withBuildDeps,
        boolean withDepends,
        String signKey) {

    /** The verb, set from this request. */
    public CreateBackport on(CreateBackport verb) {
        return verb.source(source)
                .from(from)
                .fromKey(fromKey)
                .to(to)
                .series(series)
                .versionSuffix(versionSuffix)
                .dryRun(dryRun)
                .withBuildDeps(withBuildDeps)
                .withDepends(withDepends)
                .signKey(signKey);
    }
}
