package org.ppaforge.debian.control;

import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.PackageName;
import org.ppaforge.debian.Version;

/**
 * The single stanza of a control file that may be clearsigned (.dsc, .changes), with the
 * checks both file kinds share; every error names the file.
 *
 * @param signature the ASCII-armoured signature, or {@code null} when the file is not signed
 */
public record SignedControl(String fileName, Stanza stanza, String signature) {

    public static SignedControl parse(String text, String fileName) {
        if (ClearSigned.isClearSigned(text)) {
            ClearSigned signed = ClearSigned.parse(text, fileName);
            return new SignedControl(fileName, Deb822Reader.parseSingle(signed.body(), fileName), signed.signature());
        }
        return new SignedControl(fileName, Deb822Reader.parseSingle(text, fileName), null);
    }

    /** The field's value; throws naming the file when it is missing or empty. */
    public String require(String field) {
        String v = stanza.get(field);
        if (v == null || v.isEmpty()) {
            throw new FormatException(fileName, "missing required field '" + field + "'");
        }
        return v;
    }

    /** The version in {@code field}, or an error naming the file and the rule. */
    public Version version(String field) {
        try {
            return Version.parse(require(field));
        } catch (FormatException e) {
            throw new FormatException(fileName, e.getMessage(), e);
        }
    }

    /** The source package name in {@code field}, without a {@code (version)} suffix. */
    public String sourceName(String field) {
        String value = require(field);
        int paren = value.indexOf('(');
        String name = paren < 0 ? value : value.substring(0, paren).strip();
        try {
            return PackageName.check(name, "source package");
        } catch (FormatException e) {
            throw new FormatException(fileName, e.getMessage());
        }
    }
}
