package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.model.Uploader;

/**
 * The admin page: tokens, and per archive its keys, uploaders and settings.
 *
 * @param created a token just created: its secret, shown this once
 * @param notice what the last action did, or null
 */
public record AdminView(Page page, List<ApiToken> tokens, List<ArchiveAdmin> archives, String created, String notice) {
    public record ArchiveAdmin(String name, List<ArchiveKey> keys, List<Uploader> uploaders, boolean isPrivate) {}
}
