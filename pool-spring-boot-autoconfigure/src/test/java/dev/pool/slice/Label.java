package dev.pool.slice;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A Spring Data JDBC aggregate, for {@code @DataJdbcTest}.
 *
 * @param id the id, {@code null} until saved
 * @param text the label
 */
@Table("label")
public record Label(@Id Long id, String text) {

}
