package dev.pool.adoption.published;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.pool.autoconfigure.PoolProperties;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a team's build and legal review ask of a dependency before they add it: the
 * Apache-2.0 license in the repository and in the POMs users resolve, the POM metadata a
 * repository requires, a BOM that lists every published module, and sources and Javadoc
 * jars beside the auto-configuration jar this application was built with.
 */
class PublishedArtifactsTests {

	// Tests run in the module's directory; the files below are the repository's.
	private static final Path ROOT = Path.of("..");

	@Test
	void theRepositoryCarriesTheApacheLicense() throws IOException {
		assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License")
			.contains("Version 2.0, January 2004");
	}

	@Test
	void theParentAndTheBomCarryWhatARepositoryRequires() throws Exception {
		for (Path pom : List.of(ROOT.resolve("pom.xml"), ROOT.resolve("pool-bom/pom.xml"))) {
			Element project = read(pom).getDocumentElement();
			assertThat(text(project, "licenses/license/name")).as(pom.toString())
				.isEqualTo("Apache License, Version 2.0");
			assertThat(text(project, "url")).as(pom.toString()).startsWith("https://");
			assertThat(text(project, "scm/url")).as(pom.toString()).startsWith("https://");
			assertThat(text(project, "scm/connection")).as(pom.toString()).startsWith("scm:git:");
			assertThat(text(project, "developers/developer/name")).as(pom.toString()).isNotBlank();
			assertThat(text(project, "description")).as(pom.toString()).isNotBlank();
			assertThat(text(project, "version")).as(pom.toString()).isEqualTo("0.1.0-SNAPSHOT");
		}
	}

	@Test
	void theBomListsEveryPublishedModule() throws Exception {
		Element parent = read(ROOT.resolve("pom.xml")).getDocumentElement();
		List<String> published = new ArrayList<>();
		for (String module : texts(parent, "modules/module")) {
			if (module.equals("pool-bom")) {
				continue;
			}
			Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
			if (!"true".equals(text(pom, "properties/maven.deploy.skip"))) {
				published.add(text(pom, "artifactId"));
			}
		}
		assertThat(published).contains("pool-spring-boot-starter", "pool-spring-boot-autoconfigure");
		Element bom = read(ROOT.resolve("pool-bom/pom.xml")).getDocumentElement();
		assertThat(texts(bom, "dependencyManagement/dependencies/dependency/artifactId"))
			.containsExactlyInAnyOrderElementsOf(published);
	}

	@Test
	void theAutoConfigurationJarHasSourcesAndJavadocBesideIt() throws Exception {
		Path jar = Path.of(PoolProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		assertThat(jar.getFileName().toString()).as("resolved as a jar, as users get it").endsWith(".jar");
		String base = jar.getFileName().toString().replaceFirst("\\.jar$", "");
		assertThat(jar.resolveSibling(base + "-sources.jar")).isRegularFile();
		assertThat(jar.resolveSibling(base + "-javadoc.jar")).isRegularFile();
	}

	private static Document read(Path pom) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
	}

	// The text of the first element on a path of child names, "" when there is none.
	private static String text(Element from, String path) {
		List<String> all = texts(from, path);
		return all.isEmpty() ? "" : all.get(0);
	}

	private static List<String> texts(Element from, String path) {
		List<Element> current = List.of(from);
		for (String name : path.split("/")) {
			List<Element> next = new ArrayList<>();
			for (Element element : current) {
				NodeList children = element.getChildNodes();
				for (int i = 0; i < children.getLength(); i++) {
					if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
						next.add(child);
					}
				}
			}
			current = next;
		}
		return current.stream().map((element) -> element.getTextContent().trim()).toList();
	}

}
