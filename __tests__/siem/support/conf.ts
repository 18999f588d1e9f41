/**
 * Splunk .conf files as Splunk reads them: `[stanza]` headers, `key = value`
 * settings, `#` comment lines. Enough for the kit's files (no line
 * continuations).
 * @see https://docs.splunk.com/Documentation/Splunk/latest/Admin/Howtoeditaconfigurationfile
 */
export type Conf = Map<string, Map<string, string>>;

export function parseConf(text: string): Conf {
  const conf: Conf = new Map();
  let stanza: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      stanza = new Map();
      conf.set(header[1]!, stanza);
      continue;
    }
    const setting = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!setting || !stanza) throw new Error(`not a setting inside a stanza: ${raw}`);
    stanza.set(setting[1]!, setting[2]!);
  }
  return conf;
}
