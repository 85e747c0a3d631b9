package org.ppaforge.debian.deb;

/**
 * One entry of a .deb's data member, with its path normalised to have no leading
 * {@code ./} (the form Contents indices use).
 */
public record DataEntry(String path, Type type, long size, int mode, String linkTarget) {
    public enum Type {
        FILE,
        DIRECTORY,
        SYMLINK,
        HARDLINK,
        OTHER
    }
}
