"""Run a command on a pseudo-terminal and answer its prompts, as a person at a terminal would.

argv[1]: JSON list, the command; argv[2]: JSON list of [text to wait for, keys to send].
Each answer is sent once its text has appeared in the output after the previous answer.
Everything the command wrote to the terminal goes to stdout; the exit code is the command's.
"""
import fcntl, json, os, pty, struct, sys, termios

command = json.loads(sys.argv[1])
steps = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

# A wide terminal, so that prompts are not wrapped across lines.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 250, 0, 0))
output = b''
searched_from = 0
step = 0
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the command exited and closed the terminal
        break
    if not chunk:
        break
    output += chunk
    while step < len(steps):
        at = output.find(steps[step][0].encode(), searched_from)
        if at < 0:
            break
        os.write(fd, steps[step][1].encode())
        searched_from = at + 1
        step += 1
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(output)
sys.exit(os.waitstatus_to_exitcode(status))
