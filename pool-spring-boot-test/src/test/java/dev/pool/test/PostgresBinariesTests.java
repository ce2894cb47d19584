package dev.pool.test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresBinariesTests {

	@Test
	void twoJvmsExtractingIntoTheSameEmptyCacheAtOnceBothGetWorkingBinaries(@TempDir Path cache) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<Process> processes = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			processes.add(new ProcessBuilder(java, "-D" + PostgresBinaries.CACHE_DIR_PROPERTY + "=" + cache, "-cp",
					System.getProperty("java.class.path"), ExtractBinariesMain.class.getName())
				.redirectErrorStream(true)
				.start());
		}
		List<String> outputs = new ArrayList<>();
		for (Process process : processes) {
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			assertThat(process.exitValue()).as(output).isZero();
			outputs.add(output);
		}
		assertThat(outputs.get(0)).isEqualTo(outputs.get(1));
		Path installation = Path.of(outputs.get(0));
		assertThat(installation).startsWith(cache);
		Process version = new ProcessBuilder(installation.resolve("bin/postgres").toString(), "--version")
			.redirectErrorStream(true)
			.start();
		assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
			.startsWith("postgres (PostgreSQL) 17");
		try (var files = Files.list(cache)) {
			assertThat(files.map(p -> p.getFileName().toString()))
				.as("one installation directory and its lock file, nothing half-extracted")
				.hasSize(2);
		}
		assertThat(File.separatorChar).isEqualTo('/');
	}

}
