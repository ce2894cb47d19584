package dev.pool.consistency;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Notes through Spring Data JPA: {@code save} commits a transaction, {@code findById}
 * reads in a read-only one.
 */
public interface NoteRepository extends JpaRepository<Note, Long> {

}
