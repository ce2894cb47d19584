package dev.pool.slice;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Spring Data JPA repository of {@link Item}.
 */
public interface ItemRepository extends JpaRepository<Item, Long> {

}
