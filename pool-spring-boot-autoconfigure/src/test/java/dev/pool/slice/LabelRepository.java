package dev.pool.slice;

import org.springframework.data.repository.CrudRepository;

/**
 * Spring Data JDBC repository of {@link Label}.
 */
public interface LabelRepository extends CrudRepository<Label, Long> {

}
