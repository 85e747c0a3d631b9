package org.ppaforge.qa.coverage;

import java.io.InputStream;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * JaCoCo's XML report ({@code jacoco:report}, {@code jacococli report --xml}): per {@code sourcefile} of a
 * {@code package}, its {@code line} elements ({@code nr}, missed/covered instructions {@code mi}/{@code ci}, branches
 * {@code mb}/{@code cb}). A file is {@code package/SourceFile.java}; a line with a covered instruction is covered.
 */
public final class JacocoReader {
    private JacocoReader() {}

    public static CoverageReport read(InputStream in, String source) throws CoverageFormatException {
        XMLStreamReader r = Xml.reader(in, source);
        Lines lines = new Lines(source);
        String pkg = null;
        String file = null;
        boolean sawReport = false;
        try {
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "report" -> sawReport = true;
                        case "package" -> pkg = r.getAttributeValue(null, "name");
                        case "sourcefile" -> {
                            String name = r.getAttributeValue(null, "name");
                            file = pkg == null || pkg.isEmpty() ? name : pkg + "/" + name;
                            lines.file(file);
                        }
                        case "line" -> {
                            if (file == null) {
                                throw new CoverageFormatException(
                                        Xml.where(r, source) + ": a line outside a sourcefile");
                            }
                            long nr = Lines.number(r.getAttributeValue(null, "nr"), "nr", Xml.where(r, source));
                            long ci = Lines.number(r.getAttributeValue(null, "ci"), "ci", Xml.where(r, source));
                            long mb = Lines.number(r.getAttributeValue(null, "mb"), "mb", Xml.where(r, source));
                            long cb = Lines.number(r.getAttributeValue(null, "cb"), "cb", Xml.where(r, source));
                            lines.line(file, nr, ci > 0);
                            if (mb + cb > 0) {
                                lines.branches(file, mb + cb, cb);
                            }
                        }
                        default -> {}
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (r.getLocalName().equals("sourcefile")) {
                        file = null;
                    } else if (r.getLocalName().equals("package")) {
                        pkg = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new CoverageFormatException(source + ": malformed XML: " + e.getMessage(), e);
        }
        if (!sawReport) {
            throw new CoverageFormatException(source + ": not a JaCoCo report (no <report> element)");
        }
        return lines.report("jacoco");
    }
}
