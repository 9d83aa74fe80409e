// The local mail sink survives a client that vanishes mid-message (a worker killed while
// sending): under `npm start` it shares a process with the worker and the dashboard.
import net from 'node:net';
import nodemailer from 'nodemailer';
import { mailSink } from './support/temporal';

test('a connection reset in the middle of DATA is reported, not thrown; the next message is accepted', async () => {
  const sink = await mailSink();
  const errors: Error[] = [];
  sink.on('connectionError', (e: Error) => errors.push(e));
  try {
    const socket = net.connect(sink.port, '127.0.0.1');
    const said: string[] = [];
    socket.on('data', (d) => said.push(String(d)));
    socket.on('error', () => undefined);
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(said.join('')); i++) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFor(/^220/m);
    socket.write('EHLO test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n');
    await waitFor(/^354/m);
    socket.write('Subject: half a message\r\n\r\nand then the sender dies');
    await new Promise((r) => setTimeout(r, 50));
    socket.resetAndDestroy();
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(errors.length).toBeGreaterThan(0);
    expect(sink.messages).toHaveLength(0);

    const transport = nodemailer.createTransport({ url: sink.url } as never);
    await transport.sendMail({ from: 'a@example.org', to: 'b@example.org', subject: 'still here', text: 'yes', messageId: '<after-reset@example.org>' });
    transport.close();
    expect(sink.messages.map((m) => m.messageId)).toEqual(['<after-reset@example.org>']);
  } finally {
    await sink.stop();
  }
});
