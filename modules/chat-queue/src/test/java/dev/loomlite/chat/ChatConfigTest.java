package dev.loomlite.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChatConfigTest {
    @Test
    void a_subscriber_buffer_smaller_than_one_batch_is_refused_naming_both_values() {
        // One commit of maxBatch messages would overflow every subscriber's buffer, however fast it reads.
        assertThatThrownBy(() -> ChatConfig.defaults().withMaxBatch(64).withSubscriberBuffer(63))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subscriberBuffer")
                .hasMessageContaining("63")
                .hasMessageContaining("maxBatch")
                .hasMessageContaining("64");
    }

    @Test
    void a_batch_larger_than_the_subscriber_buffer_is_refused() {
        assertThatThrownBy(() -> ChatConfig.defaults().withMaxBatch(ChatConfig.defaults().subscriberBuffer() + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBatch");
    }

    @Test
    void a_subscriber_buffer_of_exactly_one_batch_is_accepted() {
        ChatConfig config = ChatConfig.defaults().withMaxBatch(8).withSubscriberBuffer(8);

        assertThat(config.subscriberBuffer()).isEqualTo(config.maxBatch()).isEqualTo(8);
    }

    @Test
    void the_defaults_hold_a_whole_batch_per_subscriber() {
        ChatConfig config = ChatConfig.defaults();

        assertThat(config.subscriberBuffer()).isGreaterThanOrEqualTo(config.maxBatch());
    }
}
