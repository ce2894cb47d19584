package dev.pool.adoption.system;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fails on purpose, so the application's error page can be shown: needs no database.
 */
@RestController
public class CrashController {

	@GetMapping("/oups")
	public String triggerException() {
		throw new IllegalStateException(
				"Expected: controller used to showcase what happens when an exception is thrown");
	}

}
