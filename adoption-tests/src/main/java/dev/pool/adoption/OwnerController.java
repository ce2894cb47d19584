package dev.pool.adoption;

import java.net.URI;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Add an owner, then find it.
 */
@RestController
public class OwnerController {

	private final OwnerRepository owners;

	public OwnerController(OwnerRepository owners) {
		this.owners = owners;
	}

	@PostMapping("/owners")
	public ResponseEntity<Owner> add(@RequestBody Owner owner) {
		Owner saved = this.owners.save(owner);
		return ResponseEntity.created(URI.create("/owners/" + saved.getId())).body(saved);
	}

	@GetMapping("/owners/{id}")
	public ResponseEntity<Owner> find(@PathVariable int id) {
		return ResponseEntity.of(this.owners.findById(id));
	}

}
