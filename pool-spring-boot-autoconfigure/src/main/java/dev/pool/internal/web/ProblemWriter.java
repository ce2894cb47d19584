package dev.pool.internal.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;

/**
 * Writes a problem detail with the message converters Spring MVC uses, or as plain text
 * when the application has no JSON support.
 */
final class ProblemWriter {

	private ProblemWriter() {
	}

	@SuppressWarnings("unchecked")
	static void write(ProblemDetail problem, List<HttpMessageConverter<?>> converters, ServletServerHttpResponse out)
			throws IOException {
		out.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		for (HttpMessageConverter<?> converter : converters) {
			if (converter.canWrite(ProblemDetail.class, MediaType.APPLICATION_PROBLEM_JSON)) {
				((HttpMessageConverter<Object>) converter).write(problem, MediaType.APPLICATION_PROBLEM_JSON, out);
				out.flush();
				return;
			}
		}
		out.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
		String detail = (problem.getDetail() != null) ? problem.getDetail() : "";
		out.getBody().write(detail.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	static @Nullable URI instance(HttpServletRequest request) {
		try {
			return URI.create(request.getRequestURI());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
