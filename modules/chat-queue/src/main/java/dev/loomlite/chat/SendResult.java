package dev.loomlite.chat;

/**
 * The outcome of a send.
 *
 * <pre>{@code
 * SendResult r = chat.send(request);
 * int status = r.replay() ? 200 : 201;
 * }</pre>
 *
 * @param message the stored message (the original one for a replay)
 * @param replay  true when {@code (authorId, clientId)} had been sent before and nothing new was stored
 */
public record SendResult(ChatMessage message, boolean replay) {
}
