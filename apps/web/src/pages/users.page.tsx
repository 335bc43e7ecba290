import {
  Alert,
  Button,
  Group,
  Loader,
  NativeSelect,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { fieldName } from '../lib/action-form';
import { useReferenceData } from '../lib/reference-data';
import { useSession } from '../lib/session';

const ROLES = [
  'member_state',
  'cted_officer',
  'unodc_manager',
  'cted_supervisor',
  'unodc_supervisor',
  'admin',
] as const;
type Role = (typeof ROLES)[number];

function problemFields(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const e of err.problem.errors ?? []) out[e.field] = e.reason;
  return out;
}

export function Component() {
  const { t } = useTranslation();
  const { me } = useSession();
  const qc = useQueryClient();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
    enabled: me?.role === 'admin',
  });
  if (me && me.role !== 'admin')
    return (
      <Alert color="yellow.9" role="status">
        {t('users.adminOnly')}
      </Alert>
    );
  return (
    <Stack>
      <Title order={1}>{t('users.title')}</Title>
      <CreateUser onCreated={() => void qc.invalidateQueries({ queryKey: ['users'] })} />
      {users.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
      {users.data && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped>
            <caption className="visually-hidden">{t('users.title')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('users.name')}</Table.Th>
                <Table.Th scope="col">{t('signIn.email')}</Table.Th>
                <Table.Th scope="col">{t('users.role')}</Table.Th>
                <Table.Th scope="col">{t('users.status')}</Table.Th>
                <Table.Th scope="col">{t('users.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.items.map((u) => (
                <UserRow key={u.id} user={u} self={u.id === me?.id} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function UserRow({ user, self }: { user: Schemas['UserDto']; self: boolean }) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const qc = useQueryClient();
  const [role, setRole] = useState<Role>(user.role as Role);
  const [state, setState] = useState(user.memberState ?? '');
  const change = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { role, ...(role === 'member_state' ? { memberState: state } : {}) },
        }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const deactivate = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/users/{id}/actions/deactivate', { params: { path: { id: user.id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const err = problemFields(change.error);
  return (
    <Table.Tr>
      <Table.Td>{user.displayName}</Table.Td>
      <Table.Td>{user.email}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap" align="start">
          <NativeSelect
            aria-label={t('users.roleOf', { name: user.displayName })}
            size="xs"
            value={role}
            data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            error={err.role}
          />
          {role === 'member_state' && (
            <NativeSelect
              aria-label={t('users.stateOf', { name: user.displayName })}
              size="xs"
              value={state}
              data={[{ value: '', label: t('form.choose') }, ...ref.stateOptions()]}
              onChange={(e) => setState(e.currentTarget.value)}
              error={err.memberState}
            />
          )}
          <Button size="xs" variant="light" loading={change.isPending} onClick={() => change.mutate()}>
            {t('users.saveRole')}
          </Button>
        </Group>
        {change.error && !Object.keys(err).length && (
          <Alert color="red" role="alert" p="xs">
            {change.error instanceof ApiError ? change.error.problem.detail : t('errors.generic')}
          </Alert>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600} c={user.active ? undefined : 'red.9'}>
          {user.active ? t('users.active') : t('users.inactive')}
        </Text>
      </Table.Td>
      <Table.Td>
        {user.active && !self && (
          <Button
            size="xs"
            color="red.9"
            variant="light"
            loading={deactivate.isPending}
            onClick={() => deactivate.mutate()}
          >
            {t('users.deactivate')}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function CreateUser({ onCreated }: { onCreated(): void }) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const empty = { email: '', displayName: '', password: '', role: 'member_state' as Role, memberState: '' };
  const [v, setV] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const schema = z.object({
    email: z.email('v.email'),
    displayName: z.string().trim().min(1, 'v.required'),
    password: z.string().min(12, 'v.password'),
    role: z.enum(ROLES),
    memberState: v.role === 'member_state' ? z.string().regex(/^[A-Z]{3}$/, 'v.required') : z.string(),
  });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/users', {
          body: {
            email: v.email,
            displayName: v.displayName,
            password: v.password,
            role: v.role,
            ...(v.role === 'member_state' ? { memberState: v.memberState } : {}),
          } as never,
        }),
      ),
    onSuccess: () => {
      setV(empty);
      onCreated();
    },
    onError: (err) => setErrors(problemFields(err)),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="create-user-title">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = schema.safeParse(v);
          if (!parsed.success) {
            const f: Record<string, string> = {};
            for (const i of parsed.error.issues) f[fieldName(i.path)] ??= t(i.message);
            return setErrors(f);
          }
          setErrors({});
          create.mutate();
        }}
      >
        <Title order={2} size="h3" id="create-user-title" mb="xs">
          {t('users.create')}
        </Title>
        {create.error && !Object.keys(errors).length && (
          <Alert color="red" role="alert">
            {create.error instanceof ApiError ? create.error.problem.detail : t('errors.generic')}
          </Alert>
        )}
        <Group align="start" wrap="wrap" grow>
          <TextInput
            label={t('signIn.email')}
            type="email"
            required
            value={v.email}
            onChange={(e) => setV({ ...v, email: e.currentTarget.value })}
            error={errors.email}
          />
          <TextInput
            label={t('users.name')}
            required
            value={v.displayName}
            onChange={(e) => setV({ ...v, displayName: e.currentTarget.value })}
            error={errors.displayName}
          />
          <PasswordInput
            label={t('signIn.password')}
            description={t('v.password')}
            required
            value={v.password}
            onChange={(e) => setV({ ...v, password: e.currentTarget.value })}
            error={errors.password}
          />
          <NativeSelect
            label={t('users.role')}
            value={v.role}
            data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(e) => setV({ ...v, role: e.currentTarget.value as Role })}
          />
          {v.role === 'member_state' && (
            <NativeSelect
              label={t('request.memberState')}
              required
              value={v.memberState}
              data={[{ value: '', label: t('form.choose') }, ...ref.stateOptions()]}
              onChange={(e) => setV({ ...v, memberState: e.currentTarget.value })}
              error={errors.memberState}
            />
          )}
        </Group>
        <Button type="submit" mt="sm" loading={create.isPending}>
          {t('users.createSubmit')}
        </Button>
      </form>
    </Paper>
  );
}
