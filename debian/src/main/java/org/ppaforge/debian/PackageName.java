package org.ppaforge.debian;

/** Debian Policy 5.6.1/5.6.7: package names are lower case letters, digits, {@code + - .}, at least two characters, starting alphanumeric. */
public final class PackageName {
    private PackageName() {}

    public static boolean isValid(String name) {
        if (name == null || name.length() < 2) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || "+-.".indexOf(c) < 0)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the name, or throws naming {@code what} (for example "source package") and the rule. */
    public static String check(String name, String what) {
        if (!isValid(name)) {
            throw new FormatException("invalid " + what + " name '" + name
                    + "': must be at least two characters of a-z, 0-9, '+', '-', '.', starting with a letter or digit");
        }
        return name;
    }
}
