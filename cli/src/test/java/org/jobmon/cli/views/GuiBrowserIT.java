package org.jobmon.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.persistence.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web app of {@code jobmon gui}, driven in Debian's headless chromium through its chromedriver,
 * against a database holding real runs made here: the workflows page and its counts, a workflow's
 * template DAG and grouped error, a task's attempts and their exit codes, a template's resources, and
 * a page that follows a running workflow without being reloaded. Screenshots go to
 * cli/target/screenshots (the README's pictures).
 */
class GuiBrowserIT {
    @TempDir
    static Path dir;
    static ReportFixture failed;
    static Database db;
    static GuiServer server;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void serve() throws Exception {
        Path driver = HeadlessBrowser.chromedriver();
        Path chromium = HeadlessBrowser.chromium();
        failed = ReportFixture.run(dir);
        db = Database.open(failed.db());
        server = new GuiServer(db, "127.0.0.1", 0);
        server.start();
        base = "http://127.0.0.1:" + server.port();
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile()).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(Path.of("target", "screenshots"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static void screenshot(String name) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, Path.of("target", "screenshots", name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The text of an element, read again if the page's refresh swapped it out meanwhile. */
    private static String text(String css) {
        return waiting().until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    private static String attribute(String css, String name) {
        return waiting().until(d -> d.findElement(By.cssSelector(css)).getAttribute(name));
    }

    private static void click(String css) {
        waiting().until(d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    /** Waits for what the page shows; an element can be swapped out by the page's refresh between finding and reading it. */
    private static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    @Test
    void theWorkflowsPageListsTheRunWithItsCountsAndLinksToItsPages() throws Exception {
        long id = failed.workflowId();
        browser.get(base + "/");
        String row = "tr[data-workflow='" + id + "'] ";
        assertThat(text(row + "td[data-bucket='TOTAL']")).isEqualTo("6");
        assertThat(text(row + "td[data-bucket='DONE']")).isEqualTo("4");
        assertThat(text(row + "td[data-bucket='FATAL']")).isEqualTo("1");
        assertThat(text(row + "td[data-bucket='PENDING']")).isEqualTo("1");
        assertThat(text(row)).contains("FAILED").contains("report <wf> & co");
        screenshot("gui-workflows.png");

        click(row + "a");
        waiting().until(d -> d.getCurrentUrl().endsWith("/workflow/" + id));
        String transform = "g.template[data-template='transform']";
        assertThat(attribute(transform, "data-total")).isEqualTo("5");
        assertThat(attribute(transform, "data-done")).isEqualTo("4");
        assertThat(attribute(transform, "data-fatal")).isEqualTo("1");
        assertThat(browser.findElements(By.cssSelector("g.template"))).as("one node per template").hasSize(2);
        assertThat(text("#errors")).contains("ValueError: no data for location 3");
        screenshot("gui-workflow.png");

        click("#errors a");
        waiting().until(d -> d.getCurrentUrl().contains("/task/"));
        List<String> exitCodes = waiting().until(d -> d.findElements(By.cssSelector("#attempts td.exit-code")).stream().map(e -> e.getText())
                .toList());
        assertThat(exitCodes).as("both attempts of transform_3").containsExactly("2", "2");
        assertThat(text("h1")).contains("transform_3");
        screenshot("gui-task.png");

        browser.get(base + "/workflow/" + id);
        click("#templates a");
        waiting().until(d -> d.getCurrentUrl().contains("/template/"));
        assertThat(text("#usage")).contains("runtime").contains("max RSS");
        assertThat(text("#suggested")).contains("max_runtime_seconds").contains("60");
        screenshot("gui-template.png");
    }

    @Test
    void aWorkflowPageFollowsTheRunWithoutAReload() throws Exception {
        Path gate = dir.resolve("gate");
        Tool tool = Tool.create("gui_live");
        TaskTemplate step = tool.getTaskTemplate("step", "{cmd}", List.of("cmd"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("live").setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir));
        wf.addTask(step.createTask().name("quick").arg("cmd", "true").build());
        wf.addTask(step.createTask().name("gated").arg("cmd", "until [ -e " + gate + " ]; do sleep 0.1; done").build());
        CompletableFuture<Long> bound = new CompletableFuture<>();
        CompletableFuture<WorkflowRunResult> run;
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(failed.db()).workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(100))).build()) {
            run = CompletableFuture.supplyAsync(() -> engine.run(wf, RunOptions.defaults(), new org.jobmon.engine.RunListener() {
                @Override
                public void bound(long workflowId, long runId, int tasks, int previouslyDone) {
                    bound.complete(workflowId);
                }
            }));
            long id = bound.get(60, java.util.concurrent.TimeUnit.SECONDS);
            browser.get(base + "/workflow/" + id);
            waiting().until(d -> d.findElement(By.cssSelector("#counts td[data-bucket='RUNNING']")).getText().equals("1")
                    && d.findElement(By.cssSelector("#counts td[data-bucket='DONE']")).getText().equals("1"));
            Object marker = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes'; return 1;");
            assertThat(marker).isNotNull();

            Files.writeString(gate, "");
            waiting().until(d -> d.findElement(By.cssSelector("#counts td[data-bucket='DONE']")).getText().equals("2"));
            assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.sameDocument;"))
                    .as("the same document, updated in place: no reload").isEqualTo("yes");
            waiting().until(d -> d.findElement(By.id("wf-status")).getText().equals("DONE"));
            assertThat(run.get(60, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(WorkflowRunStatus.DONE);
        }
    }
}
