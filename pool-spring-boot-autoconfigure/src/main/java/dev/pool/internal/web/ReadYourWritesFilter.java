package dev.pool.internal.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import dev.pool.ReadYourWrites;
import dev.pool.internal.consistency.ReadYourWritesSupport;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Read-your-writes across a client's requests: a request carrying a token (the
 * {@code DB-Consistency} header, else the cookie) reads only from replicas that have
 * replayed it; a request that writes gets the new token back in both, set when the write
 * commits, so a redirect answering a POST carries it too.
 */
public final class ReadYourWritesFilter extends OncePerRequestFilter implements Ordered {

	/** The request and response header of the token, for clients without cookies. */
	public static final String HEADER = "DB-Consistency";

	// Null when the application's own ReadYourWrites bean replaced the starter's: the
	// filter then passes every request through untouched.
	private final @Nullable ReadYourWritesSupport support;

	private final String cookieName;

	/**
	 * Creates the filter.
	 * @param readYourWrites the application's read-your-writes; anything but the
	 * starter's own makes this filter pass requests through
	 * @param cookieName the name of the cookie carrying the token
	 */
	public ReadYourWritesFilter(ReadYourWrites readYourWrites, String cookieName) {
		this.support = (readYourWrites instanceof ReadYourWritesSupport own) ? own : null;
		this.cookieName = cookieName;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.support == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ReadYourWritesSupport support = this.support;
		if (support == null) {
			chain.doFilter(request, response);
			return;
		}
		String token = request.getHeader(HEADER);
		support.beginRequest((token != null) ? token : cookie(request), new TokenWriter(request, response));
		try {
			chain.doFilter(request, response);
		}
		finally {
			support.endRequest();
		}
	}

	private @Nullable String cookie(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (this.cookieName.equals(cookie.getName())) {
					return cookie.getValue();
				}
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	/** Puts each new token on the response while it can still change. */
	private final class TokenWriter implements Consumer<String> {

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private boolean cookieSet;

		TokenWriter(HttpServletRequest request, HttpServletResponse response) {
			this.request = request;
			this.response = response;
		}

		@Override
		public void accept(String token) {
			if (this.response.isCommitted()) {
				return;
			}
			this.response.setHeader(HEADER, token);
			String path = this.request.getContextPath().isEmpty() ? "/" : this.request.getContextPath();
			String cookie = ResponseCookie.from(ReadYourWritesFilter.this.cookieName, token)
				.httpOnly(true)
				.secure(this.request.isSecure())
				.sameSite("Lax")
				.path(path)
				.maxAge(ReadYourWritesFilter.this.support.tokenTtl())
				.build()
				.toString();
			if (this.cookieSet) {
				replaceCookie(cookie);
			}
			else {
				this.response.addHeader(HttpHeaders.SET_COOKIE, cookie);
				this.cookieSet = true;
			}
		}

		// A later write in the same request: one cookie, the latest, beside the
		// application's.
		private void replaceCookie(String cookie) {
			Collection<String> existing = this.response.getHeaders(HttpHeaders.SET_COOKIE);
			List<String> kept = new ArrayList<>();
			for (String header : existing) {
				if (!header.startsWith(ReadYourWritesFilter.this.cookieName + "=")) {
					kept.add(header);
				}
			}
			kept.add(cookie);
			this.response.setHeader(HttpHeaders.SET_COOKIE, kept.get(0));
			for (int i = 1; i < kept.size(); i++) {
				this.response.addHeader(HttpHeaders.SET_COOKIE, kept.get(i));
			}
		}

	}

}
