package org.jobmon.cli.views;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.status.StatusSupport;
import org.jobmon.persistence.Database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon gui [--port N] [--bind ADDRESS]}: serves the read-only web app on this machine until
 * Ctrl-C: the workflows, a workflow (template DAG, progress, grouped errors, runs), a task's attempts
 * and a template's resource use. It reads the database every command reads, while workflows run.
 */
@Command(name = "gui", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Serves Jobmon's web pages on this machine until Ctrl-C (read-only; every asset is in the jar).",
            "Open the address it prints. Pages refresh themselves every few seconds."})
public final class GuiCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8642;

    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "the port (default " + DEFAULT_PORT + "; 0 picks a free one)")
    private int port = DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "the address to listen on (default 127.0.0.1: this machine only; "
            + "0.0.0.0 lets anyone who can reach it read every workflow in the database, with no login)")
    private String bind = "127.0.0.1";

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "port " + port + " is not a port: use 1 to 65535, or 0 for a free one");
        }
        Database db = StatusSupport.open(cli);
        GuiServer server;
        try {
            server = new GuiServer(db, bind, port);
        } catch (BindException e) {
            db.close();
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                    + "): another program has it, or the address is not this machine's; choose another with --port N (0 for a free one)");
        } catch (IOException | RuntimeException e) {
            db.close();
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "cannot serve on " + bind + ":" + port + ": " + e.getMessage()
                    + "; check --bind and --port");
        }
        server.start();
        server.warm();
        PrintWriter out = spec.commandLine().getOut();
        String shown = bind.equals("0.0.0.0") ? "this machine's name" : bind;
        out.println("Jobmon GUI at http://" + (bind.equals("0.0.0.0") ? "127.0.0.1" : bind) + ":" + server.port() + "/ (Ctrl-C to stop)");
        if (!bind.equals("127.0.0.1") && !bind.equals("localhost") && !bind.equals("::1")) {
            out.println("warning: listening on " + shown + ", not only this machine: anyone who can reach port " + server.port()
                    + " can read every workflow here (names, commands, hosts, errors); there is no login");
        }
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            db.close();
            stopped.countDown();
        }, "jobmon-gui-stop"));
        stopped.await();
        return ExitCodes.OK;
    }
}
