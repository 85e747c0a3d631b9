package org.ppaforge.qa.coverage;

import java.io.InputStream;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Cobertura's XML report, as coverage.py ({@code coverage xml}), gcovr ({@code --cobertura}) and others write it: each
 * {@code class} names its {@code filename}, its {@code lines/line} elements carry {@code number} and {@code hits}, a
 * branch line its {@code condition-coverage="50% (1/2)"}. Classes of the same file are one file.
 */
public final class CoberturaReader {
    private CoberturaReader() {}

    public static CoverageReport read(InputStream in, String source) throws CoverageFormatException {
        XMLStreamReader r = Xml.reader(in, source);
        Lines lines = new Lines(source);
        String file = null;
        boolean sawCoverage = false;
        int depthInMethods = 0;
        try {
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "coverage" -> sawCoverage = true;
                        case "class" -> {
                            file = r.getAttributeValue(null, "filename");
                            lines.file(file);
                        }
                        case "methods" -> depthInMethods++;
                        case "line" -> {
                            // Lines under <methods> repeat the class's own lines.
                            if (depthInMethods == 0) {
                                if (file == null) {
                                    throw new CoverageFormatException(
                                            Xml.where(r, source) + ": a line outside a class");
                                }
                                String where = Xml.where(r, source);
                                lines.line(
                                        file,
                                        Lines.number(r.getAttributeValue(null, "number"), "number", where),
                                        Lines.number(r.getAttributeValue(null, "hits"), "hits", where) > 0);
                                String cond = r.getAttributeValue(null, "condition-coverage");
                                if ("true".equals(r.getAttributeValue(null, "branch")) && cond != null) {
                                    var m = Pattern.compile("\\((\\d+)/(\\d+)\\)")
                                            .matcher(cond);
                                    if (!m.find()) {
                                        throw new CoverageFormatException(
                                                where + ": condition-coverage '" + cond + "' is not 'N% (A/B)'");
                                    }
                                    lines.branches(
                                            file,
                                            Lines.number(m.group(2), "branches", where),
                                            Lines.number(m.group(1), "branches", where));
                                }
                            }
                        }
                        default -> {}
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    if (r.getLocalName().equals("class")) {
                        file = null;
                    } else if (r.getLocalName().equals("methods")) {
                        depthInMethods--;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new CoverageFormatException(source + ": malformed XML: " + e.getMessage(), e);
        }
        if (!sawCoverage) {
            throw new CoverageFormatException(source + ": not a Cobertura report (no <coverage> element)");
        }
        return lines.report("cobertura");
    }
}
