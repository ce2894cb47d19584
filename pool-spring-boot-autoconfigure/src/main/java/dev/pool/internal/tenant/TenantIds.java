package dev.pool.internal.tenant;

import java.util.regex.Pattern;

import dev.pool.InvalidTenantIdException;
import dev.pool.TenantDirectory;
import dev.pool.UnknownTenantException;
import org.jspecify.annotations.Nullable;

/**
 * Checks a tenant id before anything uses it: the configured pattern, the characters that
 * may reach a URL or schema name, then the directory. Messages never repeat the id.
 */
public final class TenantIds {

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+");

	private final Pattern pattern;

	private final TenantDirectory directory;

	/**
	 * Creates the check.
	 * @param pattern {@code app.datasource.tenants.id-pattern}
	 * @param directory which tenants exist
	 */
	public TenantIds(Pattern pattern, TenantDirectory directory) {
		this.pattern = pattern;
		this.directory = directory;
	}

	/**
	 * Checks an id as a client gave it.
	 * @param tenantId the id
	 * @return the id, which exists
	 * @throws InvalidTenantIdException when it is empty or does not match the pattern
	 * @throws UnknownTenantException when no such tenant exists
	 */
	public String check(@Nullable String tenantId) {
		if (tenantId == null || tenantId.isEmpty() || !this.pattern.matcher(tenantId).matches() || !isSafe(tenantId)) {
			throw new InvalidTenantIdException("The tenant id is malformed");
		}
		if (!this.directory.exists(tenantId)) {
			throw new UnknownTenantException("No such tenant");
		}
		return tenantId;
	}

	/**
	 * The one rule for what may reach a URL or a schema name, whatever the id pattern
	 * allows: letters, digits, '_' and '-'.
	 * @param tenantId the id
	 * @return whether the id may be put into a URL or schema name
	 */
	public static boolean isSafe(String tenantId) {
		return SAFE.matcher(tenantId).matches();
	}

	/**
	 * Which tenants exist.
	 * @return the directory
	 */
	public TenantDirectory directory() {
		return this.directory;
	}

}
