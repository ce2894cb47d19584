package dev.pool.internal.web;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import dev.pool.InvalidTenantIdException;
import dev.pool.UnknownTenantException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a malformed or missing tenant with 400 and an unknown one with 404, as problem
 * details with fixed texts: the id the client sent is never echoed. Ordered after Spring
 * MVC's own resolvers, so the application's handlers win.
 */
public final class TenantExceptionResolver implements HandlerExceptionResolver, Ordered {

	/** The 400 problem's text. */
	public static final String INVALID = "The request does not name a valid tenant.";

	/** The 404 problem's text. */
	public static final String UNKNOWN = "The tenant does not exist.";

	private static final Log logger = LogFactory.getLog(TenantExceptionResolver.class);

	private final Supplier<List<HttpMessageConverter<?>>> converters;

	/**
	 * Creates the resolver.
	 * @param converters the message converters Spring MVC writes responses with
	 */
	public TenantExceptionResolver(Supplier<List<HttpMessageConverter<?>>> converters) {
		this.converters = converters;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		ProblemDetail problem;
		if (ex instanceof InvalidTenantIdException) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, INVALID);
		}
		else if (ex instanceof UnknownTenantException) {
			problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, UNKNOWN);
		}
		else {
			return null;
		}
		if (response.isCommitted()) {
			return null;
		}
		problem.setInstance(ProblemWriter.instance(request));
		try {
			response.resetBuffer();
			ProblemWriter.write(problem, this.converters.get(), new ServletServerHttpResponse(response));
		}
		catch (IOException writeFailure) {
			logger.debug("Could not write the tenant problem response", writeFailure);
		}
		return new ModelAndView();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
