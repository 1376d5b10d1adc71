package dev.loomlite.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputRulesTest {
    static Stream<Arguments> invalid() {
        String ok = "hello";
        return Stream.of(
                Arguments.of(SendRequest.of("-room", "u1", "Al", "c1", ok), "roomId", "64"),
                Arguments.of(SendRequest.of("r".repeat(65), "u1", "Al", "c1", ok), "roomId", "64"),
                Arguments.of(SendRequest.of("Room", "u1", "Al", "c1", ok), "roomId", "a-z"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "", ok), "clientId", "64"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c!1", ok), "clientId", "64"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c".repeat(65), ok), "clientId", "64"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c1", " \n\t "), "content", "empty"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c1", "secret".repeat(700)), "content", "4000"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c1", "secret\u0000"), "content", "control"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c1", "secret\r\n"), "content", "control"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c1", ok).replyingTo(0), "replyToId", "positive"),
                Arguments.of(SendRequest.of("room", "", "Al", "c1", ok), "authorId", "128"),
                Arguments.of(SendRequest.of("room", "u1", "secret".repeat(11), "c1", ok), "authorName", "64"),
                Arguments.of(SendRequest.of("room", "u1", "secret\u0007", "c1", ok), "authorName", "control"),
                Arguments.of(SendRequest.of("room", "u1", "Al", "c1", "secret\uD83D"), "content", "surrogate"),
                Arguments.of(SendRequest.of("room", "secret\uDE00", "Al", "c1", ok), "authorId", "surrogate"),
                Arguments.of(SendRequest.of("room", "u1", "\uD800secret", "c1", ok), "authorName", "surrogate"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void messages_name_the_field_and_the_limit_but_never_the_value(SendRequest request, String field, String limit) {
        assertThatThrownBy(() -> InputRules.check(request))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(field, limit).doesNotContain("secret", "Room");
                });
    }

    @Test
    void content_at_the_limit_with_newlines_and_tabs_is_valid() {
        InputRules.check(SendRequest.of("a", "u1", "Al", "c_-1", "x\ty\n" + "z".repeat(3996)));
        InputRules.check(SendRequest.of("r".repeat(64), "u1", "Al", "c".repeat(64), "😀"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "a-b", "general", "-", "a_b", "A", "ab-", "é", ""})
    void hand_written_id_checks_match_the_documented_patterns(String id) {
        assertThat(InputRules.isRoomId(id)).isEqualTo(Pattern.matches("[a-z0-9][a-z0-9-]{0,63}", id));
        assertThat(InputRules.isClientId(id)).isEqualTo(Pattern.matches("[A-Za-z0-9_-]{1,64}", id));
    }
}
