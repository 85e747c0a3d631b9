package org.ppaforge.debian.control;

import java.util.ArrayList;
import java.util.List;
import org.ppaforge.debian.FormatException;

/**
 * An OpenPGP cleartext-signed message (RFC 4880 section 7): the signed body with
 * dash-escaping undone, the {@code Hash:} armour headers and the ASCII-armoured
 * signature block. This class only takes the message apart; verification is elsewhere.
 */
public record ClearSigned(String body, List<String> hashes, String signature) {
    public static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    public static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    public static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

    /** Whether the text starts (after any empty lines) with the clearsign header. */
    public static boolean isClearSigned(String text) {
        int i = 0;
        while (i < text.length() && (text.charAt(i) == '\n' || text.charAt(i) == '\r')) {
            i++;
        }
        return text.startsWith(BEGIN_MESSAGE, i);
    }

    /**
     * The body of a clearsigned text, or the text itself when it is not signed; a signed
     * text that is malformed raises a {@link FormatException} naming {@code source}.
     */
    public static String bodyOf(String text, String source) {
        return isClearSigned(text) ? parse(text, source).body() : text;
    }

    public static ClearSigned parse(String text, String source) {
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isEmpty()) {
            i++;
        }
        if (i >= lines.length || !lines[i].equals(BEGIN_MESSAGE)) {
            throw new FormatException(
                    source, i + 1, "not an OpenPGP clearsigned message (expected '" + BEGIN_MESSAGE + "')", null);
        }
        i++;
        List<String> hashes = new ArrayList<>();
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            String header = lines[i];
            int colon = header.indexOf(": ");
            if (colon < 0) {
                throw new FormatException(source, i + 1, "malformed armour header '" + header + "'", null);
            }
            if (header.substring(0, colon).equals("Hash")) {
                for (String h : header.substring(colon + 2).split(",")) {
                    hashes.add(h.strip());
                }
            }
        }
        if (i >= lines.length) {
            throw new FormatException(source, i, "clearsigned message ends in its armour headers", null);
        }
        i++; // the empty line after the headers
        StringBuilder body = new StringBuilder(text.length());
        int signatureStart = -1;
        for (; i < lines.length; i++) {
            String line = lines[i];
            if (line.equals(BEGIN_SIGNATURE)) {
                signatureStart = i;
                break;
            }
            if (line.startsWith("- ")) {
                line = line.substring(2);
            } else if (line.startsWith("-")) {
                throw new FormatException(
                        source, i + 1, "line starting with '-' is not dash-escaped in a clearsigned message", null);
            }
            body.append(line).append('\n');
        }
        if (signatureStart < 0) {
            throw new FormatException(source, "clearsigned message has no '" + BEGIN_SIGNATURE + "' block");
        }
        StringBuilder signature = new StringBuilder();
        boolean ended = false;
        for (i = signatureStart; i < lines.length; i++) {
            signature.append(lines[i]).append('\n');
            if (lines[i].equals(END_SIGNATURE)) {
                ended = true;
                break;
            }
        }
        if (!ended) {
            throw new FormatException(
                    source, "clearsigned message's signature block has no '" + END_SIGNATURE + "' line");
        }
        return new ClearSigned(body.toString(), List.copyOf(hashes), signature.toString());
    }
}
