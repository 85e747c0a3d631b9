package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which commands run against a server is read from the commands, not kept by hand. */
@Timeout(30)
class RemoteCommandsTest {
    @Test
    void everyCommandWithTheDataDirectoryOptionsRunsRemotelyExceptTheLocalOnlyOnes() {
        String list = RemoteCommands.list();
        assertThat(list)
                .startsWith("archive create|list|show|set, include, list, copy")
                .contains("key generate|export|list|rotate|retire")
                .contains("chroot list")
                .contains("uploads")
                .doesNotContain("serve")
                .doesNotContain("import")
                .doesNotContain("chroot create")
                .doesNotContain("chroot list|remove")
                .doesNotContain("demo");
        assertThat(RemoteCommands.remote(ServeCommand.class)).isFalse();
        assertThat(RemoteCommands.remote(CopyCommand.class)).isTrue();
        assertThat(RemoteCommands.remote(VersionCommand.class)).isFalse();
    }
}
