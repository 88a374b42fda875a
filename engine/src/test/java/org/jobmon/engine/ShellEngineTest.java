package org.jobmon.engine;

import java.nio.file.Path;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fast-heartbeat engine on a fresh embedded database, and a template that runs any shell command. */
abstract class ShellEngineTest {
    @TempDir
    Path dir;
    JobmonEngine engine;
    Jdbi jdbi;
    Tool tool;
    TaskTemplate shell;

    /** The tool's name in this test's database. */
    abstract String toolName();

    @BeforeEach
    void openEngine() {
        engine = EngineFixture.fastHeartbeatEngine(dir);
        jdbi = engine.database().jdbi();
        tool = Tool.create(toolName());
        shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }
}
