package dev.pool.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

/**
 * The metric names a Grafana dashboard's PromQL queries read: panel targets and template
 * variable queries.
 */
final class GrafanaDashboard {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

	// Grouping and matching clauses are removed with their label lists; these remain.
	private static final Set<String> KEYWORDS = Set.of("bool", "and", "or", "unless", "offset");

	private GrafanaDashboard() {
	}

	static Set<String> metricNames(Path dashboard) throws IOException {
		String json = Files.readString(dashboard);
		Set<String> names = new TreeSet<>();
		List<String> expressions = JsonPath.read(json, "$..targets[*].expr");
		expressions.forEach((expression) -> names.addAll(metricNames(expression)));
		List<String> variableQueries = JsonPath.read(json, "$.templating.list[*].definition");
		for (String query : variableQueries) {
			Matcher matcher = LABEL_VALUES.matcher(query);
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

	// What is left of PromQL once label matchers, ranges, grouping labels and strings are
	// gone: identifiers not called as functions nor keywords are metric names.
	static Set<String> metricNames(String expression) {
		String bare = expression.replaceAll("\"[^\"]*\"", "")
			.replaceAll("\\{[^}]*}", "")
			.replaceAll("\\[[^]]*]", "")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
		Set<String> names = new TreeSet<>();
		Matcher matcher = IDENTIFIER.matcher(bare);
		while (matcher.find()) {
			String name = matcher.group();
			boolean call = bare.substring(matcher.end()).stripLeading().startsWith("(");
			if (!call && !KEYWORDS.contains(name)) {
				names.add(name);
			}
		}
		return names;
	}

}
