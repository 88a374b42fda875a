package org.jobmon.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The README's library example is the project in {@code src/it/readme-example}, which the build
 * runs outside the reactor: what a reader copies is what was run.
 */
class ReadmeExampleTest {
    private static final Path PROJECT = Path.of("src/it/readme-example");

    @Test
    void theReadmeShowsTheTestedProjectAsItIs() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains("```xml\n" + Files.readString(PROJECT.resolve("pom.xml")) + "```");
        assertThat(readme).contains("```java\n" + Files.readString(PROJECT.resolve("src/main/java/example/Main.java")) + "```");
    }
}
