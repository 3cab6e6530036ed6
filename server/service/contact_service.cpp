#include "server/service/contact_service.hpp"
