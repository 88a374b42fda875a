package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * Who is told, and when, about a workflow's run: a command to run (the message as JSON on its stdin,
 * the main fields in JOBMON_* variables) and/or a URL to POST the message to as JSON with a
 * Slack-compatible {@code text} field. A notifier that fails or hangs is logged and given up after
 * {@link #timeout()}; it never changes the run's outcome.
 *
 * @param command a shell command, run with {@code sh -c}
 * @param webhook an http(s) URL; its path and query are kept out of every log (they often hold a secret)
 * @param on when to tell: by default only when a run ends other than DONE
 * @param timeout how long one delivery may take before it is abandoned (a command is killed)
 */
public record Notifications(Optional<String> command, Optional<URI> webhook, Set<Event> on, Duration timeout) {
    /** When a message is sent. */
    public enum Event {
        /** The run ended other than DONE: failed, stopped, timed out or crashed. */
        FAILED,
        /** The run ended DONE. */
        DONE,
        /** A task failed fatally (used all its attempts) while the run went on. */
        TASK_FATAL;

        /** The event named in a spec ({@code failed}, {@code done}, {@code task_fatal}, any case). */
        public static Event named(String name) {
            for (Event e : values()) {
                if (e.name().equalsIgnoreCase(name.strip())) {
                    return e;
                }
            }
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "notification event '" + name + "' is not one of failed, done, "
                    + "task_fatal");
        }
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Notifications NONE = new Notifications(Optional.empty(), Optional.empty(), Set.of(Event.FAILED),
            DEFAULT_TIMEOUT);

    public Notifications {
        requireNonNull(command, "command is null");
        requireNonNull(webhook, "webhook is null");
        requireNonNull(timeout, "timeout is null");
        command.ifPresent(c -> {
            if (c.isBlank()) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the notification command is blank: give a shell command, "
                        + "or leave it out");
            }
        });
        webhook.ifPresent(Notifications::checkUrl);
        if (on == null || on.isEmpty()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "notifications are sent on no event: name at least one of failed, "
                    + "done, task_fatal");
        }
        on = Set.copyOf(EnumSet.copyOf(on));
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "notification timeout " + timeout.toSeconds() + " s is out of range: "
                    + "use 1 s to 10 min");
        }
    }

    /** No notifications. */
    public static Notifications none() {
        return NONE;
    }

    /** Runs {@code shellCommand} when a run ends other than DONE. */
    public static Notifications command(String shellCommand) {
        return new Notifications(Optional.of(requireNonNull(shellCommand, "command is null")), Optional.empty(), Set.of(Event.FAILED),
                DEFAULT_TIMEOUT);
    }

    /** POSTs to {@code url} when a run ends other than DONE. */
    public static Notifications webhook(String url) {
        return new Notifications(Optional.empty(), Optional.of(parse(url)), Set.of(Event.FAILED), DEFAULT_TIMEOUT);
    }

    public Notifications withCommand(String shellCommand) {
        return new Notifications(Optional.of(requireNonNull(shellCommand, "command is null")), webhook, on, timeout);
    }

    public Notifications withWebhook(String url) {
        return new Notifications(command, Optional.of(parse(url)), on, timeout);
    }

    /** Sends on these events instead. */
    public Notifications on(Event first, Event... more) {
        EnumSet<Event> events = EnumSet.of(requireNonNull(first, "event is null"));
        events.addAll(List.of(more));
        return new Notifications(command, webhook, events, timeout);
    }

    public Notifications withTimeout(Duration limit) {
        return new Notifications(command, webhook, on, limit);
    }

    /** Whether anyone is told anything. */
    public boolean isEmpty() {
        return command.isEmpty() && webhook.isEmpty();
    }

    /** Without the webhook's path and query, which often hold a secret. */
    @Override
    public String toString() {
        return "Notifications[command=" + command.orElse("-") + ", webhook=" + webhook.map(Notifications::redact).orElse("-") + ", on=" + on
                + ", timeout=" + timeout.toSeconds() + " s]";
    }

    /** The URL as logs may show it: scheme, host and port only. */
    public static String redact(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/...";
    }

    private static URI parse(String url) {
        requireNonNull(url, "webhook URL is null");
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the notification webhook is not a URL: give one like "
                    + "https://hooks.example.com/services/...");
        }
        checkUrl(u);
        return u;
    }

    private static void checkUrl(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the notification webhook must be an http or https URL with a host, "
                    + "like https://hooks.example.com/services/...; got one with scheme '" + scheme + "'");
        }
    }
}
