package dev.pool.adoption;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Owners, through Spring Data JPA.
 */
public interface OwnerRepository extends JpaRepository<Owner, Integer> {

	List<Owner> findByLastNameStartingWith(String lastName);

}
