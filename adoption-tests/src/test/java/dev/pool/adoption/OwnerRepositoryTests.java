package dev.pool.adoption;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;

import static org.assertj.core.api.Assertions.assertThat;

@DataJpaTest
class OwnerRepositoryTests {

	@Autowired
	OwnerRepository owners;

	@Test
	void findsOwnersByLastName() {
		assertThat(this.owners.findByLastNameStartingWith("Fran")).singleElement()
			.extracting(Owner::getCity)
			.isEqualTo("Madison");
	}

	@Test
	void savesAnOwner() {
		Owner saved = this.owners.saveAndFlush(new Owner("Jean", "Coleman", "Monona"));
		assertThat(this.owners.findById(saved.getId())).get().extracting(Owner::getLastName).isEqualTo("Coleman");
	}

}
