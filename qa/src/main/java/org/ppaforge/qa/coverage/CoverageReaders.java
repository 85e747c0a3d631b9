package org.ppaforge.qa.coverage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a coverage file of any known format, told apart by its content: XML whose root is {@code report} (JaCoCo) or
 * {@code coverage} (Cobertura), or an lcov tracefile (its first record {@code TN:} or {@code SF:}). Anything else is
 * refused, naming the file and why.
 */
public final class CoverageReaders {
    private CoverageReaders() {}

    public static CoverageReport read(InputStream raw, String source) throws CoverageFormatException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        String head;
        try {
            in.mark(8192);
            byte[] start = in.readNBytes(8192);
            in.reset();
            head = new String(start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CoverageFormatException(source + ": cannot be read: " + e.getMessage(), e);
        }
        String trimmed = head.stripLeading().replace("\uFEFF", "");
        if (trimmed.startsWith("<")) {
            String root = rootElement(trimmed);
            if (root == null) {
                throw new CoverageFormatException(
                        source + ": XML, but its first element is not within the first 8 KiB");
            }
            return switch (root) {
                case "report" -> JacocoReader.read(in, source);
                case "coverage" -> CoberturaReader.read(in, source);
                default ->
                    throw new CoverageFormatException(source + ": an XML file whose root is <" + root
                            + ">: not a JaCoCo " + "(<report>) or Cobertura (<coverage>) report");
            };
        }
        if (trimmed.startsWith("TN:") || trimmed.startsWith("SF:")) {
            return LcovReader.read(in, source);
        }
        if (trimmed.isEmpty()) {
            throw new CoverageFormatException(source + ": empty");
        }
        throw new CoverageFormatException(
                source + ": not a coverage report ppaforge reads (JaCoCo XML, Cobertura XML such as "
                        + "'coverage xml' or gcovr's, or an lcov .info tracefile)");
    }

    /** The name of the first element after the prolog, comments and DOCTYPE. */
    static String rootElement(String xml) {
        int i = 0;
        while (true) {
            i = xml.indexOf('<', i);
            if (i < 0 || i + 1 >= xml.length()) {
                return null;
            }
            char c = xml.charAt(i + 1);
            if (c == '?' || c == '!') {
                int end = xml.startsWith("<!--", i) ? xml.indexOf("-->", i) : xml.indexOf('>', i);
                if (end < 0) {
                    return null;
                }
                i = end + 1;
                continue;
            }
            int j = i + 1;
            while (j < xml.length()
                    && !Character.isWhitespace(xml.charAt(j))
                    && xml.charAt(j) != '>'
                    && xml.charAt(j) != '/') {
                j++;
            }
            String name = xml.substring(i + 1, j);
            int colon = name.indexOf(':');
            return colon >= 0 ? name.substring(colon + 1) : name;
        }
    }
}
