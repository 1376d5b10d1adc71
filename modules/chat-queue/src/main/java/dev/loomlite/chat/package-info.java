/**
 * The server side of the chat pipeline: {@link dev.loomlite.chat.ChatService} and its values.
 *
 * <pre>{@code
 * HistoryPage page = chat.history("general", HistoryQuery.after(0, 100));
 * }</pre>
 */
package dev.loomlite.chat;
