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
        assertThat(o.serverPids()).isEmpty();
        assertThat(o.room(3)).isEqualTo("load-3");
    }

    @Test
    void flags_override_the_defaults() {
        LoadOptions o = LoadOptions.parse(new String[] {"--rooms", "3", "--compression", "off", "--server-pid", "77", "--rate", "500"});

        assertThat(o.rooms()).isEqualTo(3);
        assertThat(o.compression()).isFalse();
        assertThat(o.serverPids()).containsExactly(77L);
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

    @Test
    void one_url_is_one_node_with_unknown_owners_sending_spread() {
        LoadOptions o = LoadOptions.parse(new String[] {"--url", "http://127.0.0.1:7171"});

        assertThat(o.urls()).containsExactly(URI.create("http://127.0.0.1:7171"));
        assertThat(o.nodes()).isEqualTo(new Nodes(1, 0, Nodes.SendVia.SPREAD));
    }

    @Test
    void a_comma_list_of_urls_is_the_nodes_in_order_and_the_first_is_the_url() {
        LoadOptions o = LoadOptions.parse(new String[] {"--url", "http://127.0.0.1:7171, http://127.0.0.1:7172,http://127.0.0.1:7173"});

        assertThat(o.urls()).containsExactly(URI.create("http://127.0.0.1:7171"), URI.create("http://127.0.0.1:7172"),
                URI.create("http://127.0.0.1:7173"));
        assertThat(o.url()).isEqualTo(URI.create("http://127.0.0.1:7171"));
    }

    @Test
    void server_pids_are_a_comma_list_in_order() {
        LoadOptions o = LoadOptions.parse(new String[] {"--server-pid", "11,12, 13"});

        assertThat(o.serverPids()).containsExactly(11L, 12L, 13L);
    }

    @Test
    void shards_and_send_via_are_read() {
        LoadOptions o = LoadOptions.parse(new String[] {"--url", "http://a:1,http://b:1,http://c:1", "--shards", "12",
                "--send-via", "non-owner"});

        assertThat(o.nodes()).isEqualTo(new Nodes(3, 12, Nodes.SendVia.NON_OWNER));
    }

    @Test
    void a_url_in_the_list_that_is_not_http_is_named() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://a:1,ftp://b:1"}))
                .hasMessageContaining("--url must be http://host:port").hasMessageContaining("ftp://b:1");
    }

    @Test
    void a_node_listed_twice_is_refused() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://a:1,http://a:1"}))
                .hasMessageContaining("--url lists a node twice");
    }

    @Test
    void a_server_pid_that_is_not_a_number_is_named() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--server-pid", "12,x"}))
                .hasMessageContaining("--server-pid must be process ids").hasMessageContaining("'x'");
    }

    @Test
    void shards_beyond_the_servers_bound_are_refused() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--shards", "65"}))
                .hasMessageContaining("--shards must be between 0 and 64, was 65");
    }

    @Test
    void an_unknown_send_via_is_refused() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--send-via", "random"}))
                .hasMessageContaining("--send-via must be spread, owner or non-owner, was 'random'");
    }

    @Test
    void sending_via_the_owner_needs_shards() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "http://a:1,http://b:1", "--send-via", "owner"}))
                .hasMessageContaining("--send-via owner needs --shards");
    }

    @Test
    void sending_via_a_non_owner_needs_two_urls() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--shards", "12", "--send-via", "non-owner"}))
                .hasMessageContaining("--send-via non-owner needs at least 2 URLs");
    }
}
