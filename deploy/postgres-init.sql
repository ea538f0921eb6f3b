-- One database per instance: each municipality owns its data.
CREATE DATABASE fredrikstad OWNER kominn;
CREATE DATABASE sarpsborg OWNER kominn;
CREATE DATABASE ks OWNER kominn;
