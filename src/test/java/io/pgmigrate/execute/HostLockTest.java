package io.pgmigrate.execute;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock script's answer line and the holder fields pgmigrate sends (no host). */
class HostLockTest {
    @Test
    void anAnswerIsAStatusAndTheHolderRecordSeparatedByTabs() {
        HostLockScripts.Answer a = HostLockScripts.Answer.parse(
                "HELD\tcontrollerHost=ctl-a\tcontrollerUser=alice\tcontrollerPid=42\tplanDigest=sha256:ab\tsince=2025-01-02T03:04:05Z\thostPid=9\t");
        assertThat(a.status()).isEqualTo("HELD");
        assertThat(a.record()).containsEntry("controllerHost", "ctl-a").containsEntry("hostPid", "9").hasSize(6);
        assertThat(a.get("planDigest")).isEqualTo("sha256:ab");
        assertThat(a.get("missing")).isEqualTo("?");
    }

    @Test
    void aLockWithoutAnEarlierHolderHasAnEmptyRecord() {
        assertThat(HostLockScripts.Answer.parse("LOCKED\t").record()).isEmpty();
        assertThat(HostLockScripts.Answer.parse("LOCKED").record()).isEmpty();
    }

    @Test
    void aRefusalNamesThePathAndTheReason() {
        HostLockScripts.Answer a = HostLockScripts.Answer.parse("REFUSED\t/var/lib/pgm/execution.lock\tis a symbolic link");
        assertThat(a.field(0)).isEqualTo("/var/lib/pgm/execution.lock");
        assertThat(a.field(1)).isEqualTo("is a symbolic link");
        assertThat(a.field(2)).isEmpty();
    }

    @Test
    void holderFieldsAreSentAsOneLineWithoutTabs() {
        assertThat(HostLock.oneLine("ctl\ta\r\nb")).isEqualTo("ctl a b");
        assertThat(HostLock.oneLine(" ")).isEqualTo("?");
        assertThat(HostLock.oneLine(null)).isEqualTo("?");
    }
}
