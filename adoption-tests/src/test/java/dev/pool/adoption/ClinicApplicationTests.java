package dev.pool.adoption;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class ClinicApplicationTests {

	@Autowired
	OwnerRepository owners;

	@Test
	void contextLoadsAndTheSampleDataIsThere() {
		assertThat(this.owners.findByLastNameStartingWith("Davis")).extracting(Owner::getFirstName)
			.containsExactlyInAnyOrder("Betty", "Harold");
	}

}
