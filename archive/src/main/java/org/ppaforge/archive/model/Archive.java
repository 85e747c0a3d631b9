package org.ppaforge.archive.model;

import java.time.Instant;
import java.util.List;

/** A package archive (PPA): the series it publishes for, its components and architectures. */
public record Archive(
        long id,
        String name,
        String description,
        List<String> series,
        List<String> components,
        List<String> architectures,
        Instant createdAt) {

    public Archive {
        series = List.copyOf(series);
        components = List.copyOf(components);
        architectures = List.copyOf(architectures);
    }

    public boolean hasSeries(String s) {
        return series.contains(s);
    }
}
