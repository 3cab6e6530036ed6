#pragma once
// Contact lists and contacts (SPEC §2): operations and their JSON codec.
