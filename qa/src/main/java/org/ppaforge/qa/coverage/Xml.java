package org.ppaforge.qa.coverage;

import java.io.InputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The JDK's StAX reader, made safe for files from anywhere: no DTD processing (JaCoCo's DOCTYPE is skipped, never
 * fetched), no external entities, so neither a billion-laughs nor a file-reading entity gets through. The JDK's own,
 * always: {@code newFactory()} would take whichever StAX implementation the class path offers (Woodstox came with a
 * test dependency and read an undeclared entity as nothing instead of refusing it).
 */
final class Xml {
    private static final XMLInputFactory FACTORY = XMLInputFactory.newDefaultFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    }

    private Xml() {}

    static XMLStreamReader reader(InputStream in, String source) throws CoverageFormatException {
        try {
            synchronized (FACTORY) {
                return FACTORY.createXMLStreamReader(in);
            }
        } catch (XMLStreamException e) {
            throw new CoverageFormatException(source + ": not XML: " + e.getMessage(), e);
        }
    }

    static String where(XMLStreamReader r, String source) {
        var l = r.getLocation();
        return source + (l == null ? "" : ":" + l.getLineNumber() + ":" + l.getColumnNumber());
    }
}
