// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Brief: which calls of the event stream write data to a socket and which read from one, by their names
// ("send", "recvmsg"): the narrative, the predictions, the explanations and the queue facts all ask these.
// Thread-safety: pure functions.

#include <string_view>

namespace sockscope::core {

// send(), write() and sendmsg(): they queue bytes for the peer (and may raise SIGPIPE).
inline bool writesData(std::string_view call)
{
    return call == "send" || call == "write" || call == "sendmsg";
}

// recv(), read() and recvmsg(): they take bytes from the receive queue (0: end of file).
inline bool readsData(std::string_view call)
{
    return call == "recv" || call == "read" || call == "recvmsg";
}

} // namespace sockscope::core
