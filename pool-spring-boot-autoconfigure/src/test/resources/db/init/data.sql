INSERT INTO initialized VALUES (1, 'from data.sql');
