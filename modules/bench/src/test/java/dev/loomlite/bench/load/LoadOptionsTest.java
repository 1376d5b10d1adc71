package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
    @Test
    void the_defaults_are_the_issues_shape() {
        LoadOptions o = LoadOptions.defaults();

        assertThat(o.url()).isEqualTo(URI.create("http://127.0.0.1:7070"));
        assertThat(o.rooms()).isEqualTo(10);
        assertThat(o.senders()).isEqualTo(50);
        assertThat(o.subscribersPerRoom()).isEqualTo(10);
        assertThat(o.messageSize()).isEqualTo(140);
        assertThat(o.rate()).isZero();
        assertThat(o.compression()).isTrue();
        assertThat(o.serverPid()).isEmpty();
        assertThat(o.room(3)).isEqualTo("load-3");
    }

    @Test
    void flags_override_the_defaults() {
        LoadOptions o = LoadOptions.parse(new String[] {"--rooms", "3", "--compression", "off", "--server-pid", "77", "--rate", "500"});

        assertThat(o.rooms()).isEqualTo(3);
        assertThat(o.compression()).isFalse();
        assertThat(o.serverPid()).hasValue(77);
        assertThat(o.rate()).isEqualTo(500);
    }

    @Test
    void failed_messages_are_discarded_unless_retry_is_asked_for() {
        assertThat(LoadOptions.defaults().retryFailed()).isFalse();
        assertThat(LoadOptions.parse(new String[] {"--on-failure", "retry"}).retryFailed()).isTrue();
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--on-failure", "ignore"})).hasMessageContaining("discard or retry");
    }

    @Test
    void mistakes_name_the_flag_and_the_bound() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rooms", "0"})).hasMessageContaining("--rooms must be between 1");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--compression", "maybe"})).hasMessageContaining("on or off");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--bogus", "1"})).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--senders"})).hasMessageContaining("needs a value");
    }
}
