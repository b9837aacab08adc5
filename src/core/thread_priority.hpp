#pragma once
// The calling thread's scheduling priority (Linux: setpriority(2) with PRIO_PROCESS and a thread
// id changes that thread alone). Used for the writer lane, which yields to the request threads
// while it keeps up (server/app.cpp, kWriterNice).
namespace gh::core {

// Sets the calling thread's nice value; false if the system refused (e.g. lowering it without
// the privilege).
bool set_this_thread_nice(int nice);

}  // namespace gh::core
