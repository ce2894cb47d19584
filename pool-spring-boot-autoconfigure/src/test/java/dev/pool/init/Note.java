package dev.pool.init;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/**
 * An entity whose table Hibernate's {@code ddl-auto} creates.
 */
@Entity
class Note {

	@Id
	private Long id;

	private String text;

	protected Note() {
	}

	Long getId() {
		return this.id;
	}

	String getText() {
		return this.text;
	}

}
